# GoogleTest unit tests of the mtp module, for both builds.
#
# mtp_add_gtests(NAME <exe> SOURCE_FILES <.cc ...>)
#   One executable linking GTest::gtest_main and the mtp library (which brings
#   the ns-3 libraries).
#
#   Standalone: built when MTP_ENABLE_GTESTS (default ON); GTest is required
#   (Debian: libgtest-dev, installed by ./ns3 deps). Each TEST() becomes one
#   CTest named "<exe>.<Suite>.<Test>" (discovered when ctest runs, so a
#   crashing gtest binary fails the tests, not the build).
#
#   In an ns-3 tree (3.37 ... 3.48): built when ns-3 tests and examples are
#   enabled, mtp's are not filtered out and GTest is found; otherwise skipped
#   with a status message (it never fails the ns-3 build for want of GTest).
#   It is an ns-3 program like the examples (ns-3's build_exec): named
#   ns<version>-<exe><profile suffix>, placed in build/contrib/mtp/examples/,
#   run by `./ns3 run <exe>`, and by ns-3's test.py through its entry in
#   test/examples-to-run.py (ns-3 has no CTest in its tree).
#
#   The mtp library target is ${libmtp}: ns-3 named module targets libmtp
#   (3.37) and names them mtp now (3.43 on, 3.48), and sets that variable in
#   both.

include_guard(GLOBAL)

function(mtp_add_gtests)
  cmake_parse_arguments(GT "" "NAME" "SOURCE_FILES" ${ARGN})
  if(NOT GT_NAME OR NOT GT_SOURCE_FILES)
    message(FATAL_ERROR "mtp_add_gtests: NAME and SOURCE_FILES are required")
  endif()
  # test/examples-to-run.py names this program for ns-3's test.py; the
  # standalone build runs it through CTest instead (mtp_standalone_finish).
  set_property(GLOBAL PROPERTY MTP_GTEST_NAME ${GT_NAME})

  if(COMMAND mtp_standalone_finish)
    # Standalone build (cmake/mtp-standalone.cmake).
    if(NOT MTP_ENABLE_GTESTS)
      return()
    endif()
    find_package(GTest CONFIG QUIET)
    if(NOT GTest_FOUND)
      find_package(GTest QUIET)
    endif()
    if(NOT TARGET GTest::gtest_main)
      message(FATAL_ERROR
        "mtp: GoogleTest not found. Install it with ./ns3 deps "
        "(Debian: libgtest-dev) or configure with -DMTP_ENABLE_GTESTS=OFF")
    endif()
    set(module_target mtp)
  else()
    _mtp_add_gtests_in_tree(${GT_NAME} ${GT_SOURCE_FILES})
    return()
  endif()

  add_executable(${GT_NAME} ${GT_SOURCE_FILES})
  target_link_libraries(${GT_NAME} PRIVATE ${module_target} GTest::gtest_main)
  _mtp_common_target_settings(${GT_NAME})

  include(GoogleTest)
  gtest_discover_tests(${GT_NAME}
    TEST_PREFIX "${GT_NAME}."
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "gtest")
endfunction()

# Inside an ns-3 tree: the gtests as an ns-3 program (see the top of this file).
function(_mtp_add_gtests_in_tree name)
  set(sources ${ARGN})
  set(status "")
  if(NOT ENABLE_TESTS)
    set(status "ns-3 tests are disabled (--enable-tests)")
  elseif(NOT ENABLE_EXAMPLES)
    set(status "ns-3 examples are disabled (--enable-examples): test.py runs ${name} as one")
  elseif(NS3_FILTER_MODULE_EXAMPLES_AND_TESTS
         AND NOT "mtp" IN_LIST NS3_FILTER_MODULE_EXAMPLES_AND_TESTS)
    set(status "mtp's examples and tests are filtered out")
  elseif(NOT libmtp OR NOT TARGET ${libmtp})
    set(status "no mtp library target (ns-3 did not define libmtp)")
  else()
    find_package(GTest QUIET)
    if(NOT TARGET GTest::gtest_main)
      set(status "GoogleTest not found (Debian: apt-get install libgtest-dev)")
    endif()
  endif()
  if(status)
    message(STATUS "mtp: not building ${name}: ${status}")
    return()
  endif()
  string(REPLACE "${PROJECT_SOURCE_DIR}/" "" folder "${CMAKE_CURRENT_SOURCE_DIR}")
  build_exec(
    EXECNAME ${name}
    SOURCE_FILES ${sources}
    LIBRARIES_TO_LINK ${libmtp} GTest::gtest_main
    EXECUTABLE_DIRECTORY_PATH ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${folder}/examples/
    IGNORE_PCH)
  message(STATUS "mtp: GoogleTest found, building ${name} (run by test.py as an example)")
endfunction()
