# GoogleTest unit tests of the mtp module, for both builds.
#
# mtp_add_gtests(NAME <exe> SOURCE_FILES <.cc ...>)
#   One executable linking GTest::gtest_main and the mtp library (which brings
#   the ns-3 libraries). Each TEST() becomes one CTest named
#   "<exe>.<Suite>.<Test>" (discovered when ctest runs, so a crashing gtest
#   binary fails the tests, not the build).
#
#   Standalone: built when MTP_ENABLE_GTESTS (default ON); GTest is required
#   (Debian: libgtest-dev, installed by ./ns3 deps).
#   In an ns-3 tree: built only when ns-3 tests are enabled, mtp's tests are not
#   filtered out and GTest is found; otherwise skipped with a status message.
#   It never fails the ns-3 build for want of GTest.

include_guard(GLOBAL)

function(mtp_add_gtests)
  cmake_parse_arguments(GT "" "NAME" "SOURCE_FILES" ${ARGN})
  if(NOT GT_NAME OR NOT GT_SOURCE_FILES)
    message(FATAL_ERROR "mtp_add_gtests: NAME and SOURCE_FILES are required")
  endif()

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
    # Inside an ns-3 tree (ns-3's build_lib made target libmtp).
    if(NOT ENABLE_TESTS)
      return()
    endif()
    if(NS3_FILTER_MODULE_EXAMPLES_AND_TESTS
       AND NOT "mtp" IN_LIST NS3_FILTER_MODULE_EXAMPLES_AND_TESTS)
      return()
    endif()
    if(NOT TARGET libmtp)
      return()
    endif()
    find_package(GTest QUIET)
    if(NOT TARGET GTest::gtest_main)
      message(STATUS "mtp: GoogleTest not found, skipping ${GT_NAME}")
      return()
    endif()
    set(module_target libmtp)
  endif()

  add_executable(${GT_NAME} ${GT_SOURCE_FILES})
  target_link_libraries(${GT_NAME} PRIVATE ${module_target} GTest::gtest_main)
  if(COMMAND _mtp_common_target_settings)
    _mtp_common_target_settings(${GT_NAME})
  else()
    string(REPLACE "${PROJECT_SOURCE_DIR}/" "" folder "${CMAKE_CURRENT_SOURCE_DIR}")
    set_target_properties(${GT_NAME} PROPERTIES
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${folder}/test)
    message(STATUS "mtp: GoogleTest found, building ${GT_NAME}")
  endif()

  include(GoogleTest)
  gtest_discover_tests(${GT_NAME}
    TEST_PREFIX "${GT_NAME}."
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "gtest")
endfunction()
