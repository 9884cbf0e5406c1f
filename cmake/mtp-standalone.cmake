# Standalone build of the mtp module against an installed ns-3 (e.g. Debian's
# libns3-dev 3.37). Included by ../CMakeLists.txt only when ns-3's own
# build_lib is not defined (i.e. we are not inside an ns-3 source tree).
#
# What it provides, so that ../CMakeLists.txt describes the module once:
#   build_lib(LIBNAME ... SOURCE_FILES ... HEADER_FILES ... LIBRARIES_TO_LINK ...
#             TEST_SOURCES ...)         -> library target `mtp` (libns3-mtp.so),
#                                          test library `mtp-test`, executable
#                                          `mtp-test-runner`, CTests
#   build_lib_example(NAME ... SOURCE_FILES ... LIBRARIES_TO_LINK ...)
#                                       -> one executable per example
#   mtp_standalone_finish()             -> CTests for the ns-3 test suites
#
# Layout of the build directory:
#   include/ns3/mtp-*.h     symlinks to the public headers, plus the generated
#                           include/ns3/mtp-module.h
#   lib/                    libns3-mtp.so, libns3-mtp-test.so
#   bin/                    examples, mtp-test-runner, mtp-gtests
#
# Options (cmake -D...):
#   MTP_ENABLE_EXAMPLES=ON  MTP_ENABLE_TESTS=ON  MTP_ENABLE_GTESTS=ON
#   MTP_WERROR=OFF          MTP_USE_CCACHE=ON    CMAKE_CXX_STANDARD=17|20
#   MTP_SANITIZE=""         MTP_ENABLE_FUZZ=OFF  (cmake/mtp-sanitize.cmake)
#   MTP_LOG, MTP_ASSERT     (ON except for release/minsizerel builds)
#   MTP_NATIVE_OPTIMIZATIONS=OFF

option(MTP_ENABLE_EXAMPLES "Build the mtp examples" ON)
option(MTP_ENABLE_TESTS "Build the mtp ns-3 test suites and the test runner" ON)
option(MTP_ENABLE_GTESTS "Build the mtp GoogleTest unit tests" ON)
option(MTP_WERROR "Treat compiler warnings as errors" OFF)
option(MTP_USE_CCACHE "Use ccache as compiler launcher when it is installed" ON)

# --------------------------------------------------------------------------
# Build type: "default" (as ns-3 calls it) = -O2 -g, asserts and logs on.
# --------------------------------------------------------------------------
get_property(_mtp_multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
if(NOT _mtp_multi_config AND NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE default CACHE STRING
      "Build type: default (-O2 -g), debug, release, relwithdebinfo" FORCE)
endif()
set(CMAKE_CXX_FLAGS_DEFAULT "-O2 -g" CACHE STRING
    "C++ flags for the 'default' build type")
mark_as_advanced(CMAKE_CXX_FLAGS_DEFAULT)
# Installed ns-3 packages export only a Release (or None) configuration: use
# it for every build type of ours.
foreach(_cfg DEFAULT DEBUG RELWITHDEBINFO MINSIZEREL)
  set(CMAKE_MAP_IMPORTED_CONFIG_${_cfg} Release RelWithDebInfo None "")
endforeach()

# Build profiles as ns-3's ./ns3 configure -d makes them (ns-3.48,
# build-support/macros-and-definitions.cmake and its ns3 script):
#   debug, default, relwithdebinfo   NS_LOG and NS_ASSERT compiled in
#   release                          CMake's Release flags (-O3 -DNDEBUG), no
#                                    NS_LOG/NS_ASSERT in our code
#   optimized                        release plus -march=native -mtune=native
#                                    (GCC only, as ns-3): our ./ns3 turns it into
#                                    -DCMAKE_BUILD_TYPE=release
#                                    -DMTP_NATIVE_OPTIMIZATIONS=ON -DMTP_LOG=OFF
#                                    -DMTP_ASSERT=OFF
# MTP_LOG and MTP_ASSERT are ns-3's NS3_LOG and NS3_ASSERT for our targets
# only: Debian's libns3 is built with logging and asserts, and stays so.
string(TOLOWER "${CMAKE_BUILD_TYPE}" _mtp_build_type)
if(_mtp_build_type MATCHES "^(release|minsizerel)$")
  set(_mtp_checks_default OFF)
else()
  set(_mtp_checks_default ON)
endif()
option(MTP_LOG "Compile NS_LOG statements into the mtp targets (NS3_LOG_ENABLE)"
       ${_mtp_checks_default})
option(MTP_ASSERT "Compile NS_ASSERT checks into the mtp targets (NS3_ASSERT_ENABLE)"
       ${_mtp_checks_default})
option(MTP_NATIVE_OPTIMIZATIONS "Build with -march=native -mtune=native (GCC)" OFF)
set(MTP_CHECK_DEFINITIONS)
# As ns-3, a debug build always has both.
if(MTP_LOG OR _mtp_build_type STREQUAL "debug")
  list(APPEND MTP_CHECK_DEFINITIONS NS3_LOG_ENABLE)
endif()
if(MTP_ASSERT OR _mtp_build_type STREQUAL "debug")
  list(APPEND MTP_CHECK_DEFINITIONS NS3_ASSERT_ENABLE)
endif()
if(MTP_NATIVE_OPTIMIZATIONS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-march=native -mtune=native)
endif()

# --------------------------------------------------------------------------
# ccache
# --------------------------------------------------------------------------
if(MTP_USE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(MTP_CCACHE_PROGRAM ccache)
  mark_as_advanced(MTP_CCACHE_PROGRAM)
  if(MTP_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${MTP_CCACHE_PROGRAM}")
    message(STATUS "mtp: using ccache (${MTP_CCACHE_PROGRAM})")
  endif()
endif()

# --------------------------------------------------------------------------
# ns-3
# --------------------------------------------------------------------------
# ns-3 exports an ExactVersion version file, so `find_package(ns3 3.37)` would
# refuse any newer ns-3: find any and check the minimum ourselves.
#
# ns-3's generated ns3Targets.cmake aborts configure when a file it names is
# absent; on Debian the tap/raw-socket creator programs it names come from the
# small `ns3` package, not from libns3-dev. Look first, to say what to install.
find_file(MTP_NS3_TARGETS_FILE ns3Targets.cmake
          PATH_SUFFIXES cmake/ns3 lib/cmake/ns3 lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/ns3
          HINTS ${ns3_DIR})
mark_as_advanced(MTP_NS3_TARGETS_FILE)
if(MTP_NS3_TARGETS_FILE)
  get_filename_component(_mtp_ns3_cfg_dir ${MTP_NS3_TARGETS_FILE} DIRECTORY)
  get_filename_component(_mtp_ns3_prefix "${_mtp_ns3_cfg_dir}/../../../.." ABSOLUTE)
  if(_mtp_ns3_cfg_dir MATCHES "^/usr/lib/")
    set(_mtp_ns3_prefix /usr)
  endif()
  file(GLOB _mtp_ns3_cfg_files ${_mtp_ns3_cfg_dir}/ns3Targets-*.cmake)
  set(_mtp_ns3_missing)
  foreach(f IN LISTS _mtp_ns3_cfg_files)
    file(STRINGS ${f} _lines REGEX "^list\\(APPEND _cmake_import_check_files_for_")
    foreach(l IN LISTS _lines)
      if(l MATCHES "\"\\\${_IMPORT_PREFIX}([^\"]*)\"")
        if(NOT EXISTS "${_mtp_ns3_prefix}${CMAKE_MATCH_1}")
          list(APPEND _mtp_ns3_missing "${_mtp_ns3_prefix}${CMAKE_MATCH_1}")
        endif()
      endif()
    endforeach()
  endforeach()
  if(_mtp_ns3_missing)
    string(REPLACE ";" "\n  " _t "${_mtp_ns3_missing}")
    message(FATAL_ERROR
      "mtp: the installed ns-3 CMake package (${_mtp_ns3_cfg_dir}) names files that are "
      "not installed, and find_package(ns3) would fail on them:\n  ${_t}\n"
      "On Debian these come from the package `ns3` (tap/raw-socket creator programs) "
      "and `libns3-dev`: run ./ns3 deps  (or: sudo apt-get install ns3 libns3-dev)")
  endif()
endif()

find_package(ns3 CONFIG QUIET)
if(NOT ns3_FOUND)
  message(FATAL_ERROR
    "mtp: ns-3 was not found (find_package(ns3 CONFIG)).\n"
    "On Debian/Ubuntu install it with:  ./ns3 deps   (or: sudo apt-get install libns3-dev)\n"
    "For an ns-3 installed elsewhere pass -Dns3_DIR=<prefix>/lib/cmake/ns3 "
    "or -DCMAKE_PREFIX_PATH=<prefix>.")
endif()
if(ns3_VERSION VERSION_LESS 3.37)
  message(FATAL_ERROR "mtp: ns-3 >= 3.37 is required, found ${ns3_VERSION} (${ns3_DIR})")
endif()
message(STATUS "mtp: ns-3 ${ns3_VERSION} from ${ns3_DIR}")

# C++ standard: 17 for ns-3.37; newer ns-3 releases need C++20.
if(NOT CMAKE_CXX_STANDARD)
  if(ns3_VERSION VERSION_GREATER_EQUAL 3.38)
    set(CMAKE_CXX_STANDARD 20)
  else()
    set(CMAKE_CXX_STANDARD 17)
  endif()
endif()
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
message(STATUS "mtp: C++${CMAKE_CXX_STANDARD}, build type '${CMAKE_BUILD_TYPE}', "
               "native optimizations ${MTP_NATIVE_OPTIMIZATIONS}, "
               "definitions '${MTP_CHECK_DEFINITIONS}'")

# Debian's exported ns-3 targets name files that libns3-dev does not pull in
# (/usr/include/python3.11, /usr/include/libxml2, libgsl.so, libxml2.so,
# libsqlite3.so, ...). Drop every absolute path that does not exist, so a
# missing -dev package cannot break configure or link. (The ns-3 shared
# libraries carry their own DT_NEEDED entries for the runtime libraries.)
function(_mtp_prune_missing_paths target)
  foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
               INTERFACE_LINK_LIBRARIES)
    get_target_property(values ${target} ${prop})
    if(NOT values)
      continue()
    endif()
    set(kept)
    set(dropped)
    foreach(v IN LISTS values)
      if(v MATCHES "^/" AND NOT v MATCHES "\\$<" AND NOT EXISTS "${v}")
        list(APPEND dropped "${v}")
      else()
        list(APPEND kept "${v}")
      endif()
    endforeach()
    if(dropped)
      set_property(TARGET ${target} PROPERTY ${prop} "${kept}")
      list(REMOVE_DUPLICATES dropped)
      set(_mtp_all_dropped ${_mtp_all_dropped} ${dropped} PARENT_SCOPE)
    endif()
  endforeach()
endfunction()
get_property(_mtp_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
set(_mtp_all_dropped)
foreach(t IN LISTS _mtp_imported)
  if(t MATCHES "^ns3::")
    _mtp_prune_missing_paths(${t})
  endif()
endforeach()
if(_mtp_all_dropped)
  list(REMOVE_DUPLICATES _mtp_all_dropped)
  string(REPLACE ";" " " _mtp_dropped_txt "${_mtp_all_dropped}")
  message(STATUS "mtp: ignoring paths named by the ns-3 targets that do not exist: "
                 "${_mtp_dropped_txt}")
endif()

# The names ns-3's build_lib uses for module targets: <libX> -> ns3::libX, for
# every module the installed ns-3 exports (so any module named in
# CMakeLists.txt resolves here as it does in a tree).
foreach(t IN LISTS _mtp_imported)
  if(t MATCHES "^ns3::lib(.+)$")
    set(lib${CMAKE_MATCH_1} ${t})
  endif()
endforeach()

find_package(Boost REQUIRED)  # header-only use: Intrusive, ICL
find_package(Threads REQUIRED)

# --------------------------------------------------------------------------
# Common settings for every target of ours
# --------------------------------------------------------------------------
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
set(MTP_INCLUDE_DIR ${CMAKE_BINARY_DIR}/include)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
include(${CMAKE_CURRENT_LIST_DIR}/mtp-sanitize.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/mtp-fuzz.cmake)

function(_mtp_common_target_settings target)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wno-unused-parameter>
    $<$<AND:$<BOOL:${MTP_WERROR}>,$<CXX_COMPILER_ID:GNU,Clang,AppleClang>>:-Werror>)
endfunction()

if(MTP_ENABLE_TESTS OR MTP_ENABLE_GTESTS)
  enable_testing()
endif()

# Put the public headers where `#include <ns3/mtp-....h>` finds them.
function(_mtp_stage_headers libname)
  set(dest ${MTP_INCLUDE_DIR}/ns3)
  file(MAKE_DIRECTORY ${dest})
  set(module_header_body "")
  foreach(h IN LISTS ARGN)
    get_filename_component(abs ${h} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    get_filename_component(name ${h} NAME)
    if(NOT EXISTS ${abs})
      message(FATAL_ERROR "mtp: header ${h} is listed in CMakeLists.txt but does not exist")
    endif()
    if(IS_SYMLINK ${dest}/${name} OR EXISTS ${dest}/${name})
      file(REMOVE ${dest}/${name})
    endif()
    file(CREATE_LINK ${abs} ${dest}/${name} COPY_ON_ERROR SYMBOLIC)
    string(APPEND module_header_body "#include <ns3/${name}>\n")
  endforeach()
  string(TOUPPER "${libname}" upper)
  string(REPLACE "-" "_" upper "${upper}")
  # Same shape as the aggregator header ns-3's build_lib writes.
  file(CONFIGURE OUTPUT ${dest}/${libname}-module.h CONTENT
"#ifdef NS3_MODULE_COMPILATION
#error \"Do not include ns3 module aggregator headers from other modules; these are meant only for end user scripts.\"
#endif
#ifndef NS3_MODULE_${upper}
// Module headers:
${module_header_body}#endif
" @ONLY)
endfunction()

# --------------------------------------------------------------------------
# build_lib stand-in
# --------------------------------------------------------------------------
function(build_lib)
  set(options IGNORE_PCH)
  set(oneValueArgs LIBNAME)
  set(multiValueArgs SOURCE_FILES HEADER_FILES LIBRARIES_TO_LINK TEST_SOURCES
                     DEPRECATED_HEADER_FILES MODULE_ENABLED_FEATURES PRIVATE_HEADER_FILES)
  cmake_parse_arguments(BLIB "${options}" "${oneValueArgs}" "${multiValueArgs}" ${ARGN})
  if(BLIB_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "build_lib: unexpected arguments: ${BLIB_UNPARSED_ARGUMENTS}")
  endif()

  set(target ${BLIB_LIBNAME})
  # ns-3 modules refer to each other as lib<name>; make ours resolvable too.
  set(lib${BLIB_LIBNAME} ${target} CACHE INTERNAL "target of the ${BLIB_LIBNAME} module")
  set(lib${BLIB_LIBNAME} ${target})

  _mtp_stage_headers(${BLIB_LIBNAME} ${BLIB_HEADER_FILES} ${BLIB_DEPRECATED_HEADER_FILES}
                     ${BLIB_PRIVATE_HEADER_FILES})

  add_library(${target} SHARED ${BLIB_SOURCE_FILES} ${BLIB_HEADER_FILES})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ns3-${BLIB_LIBNAME})
  target_include_directories(${target} PUBLIC ${MTP_INCLUDE_DIR})
  # ns-3's installed targets export no compile definitions: without
  # NS3_LOG_ENABLE every NS_LOG in our code would silently vanish. The build
  # profile decides (MTP_CHECK_DEFINITIONS above); PUBLIC, so the tests and
  # examples see the same NS_LOG/NS_ASSERT as the library.
  # (NS3_MODULE_COMPILATION is not defined, as ns-3.37's own build does not:
  # model code that includes an ns3/*-module.h builds the same both ways.)
  target_compile_definitions(${target} PUBLIC ${MTP_CHECK_DEFINITIONS})
  target_link_libraries(${target} PUBLIC ${BLIB_LIBRARIES_TO_LINK} Boost::headers
                                  PRIVATE Threads::Threads)
  _mtp_common_target_settings(${target})

  if(MTP_ENABLE_EXAMPLES)
    foreach(example_folder example examples)
      if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${example_folder}/CMakeLists.txt)
        add_subdirectory(${example_folder})
      endif()
    endforeach()
  endif()

  if(MTP_ENABLE_TESTS AND BLIB_TEST_SOURCES)
    set(test_target ${target}-test)
    add_library(${test_target} SHARED ${BLIB_TEST_SOURCES})
    set_target_properties(${test_target} PROPERTIES OUTPUT_NAME ns3-${BLIB_LIBNAME}-test)
    target_link_libraries(${test_target} PUBLIC ${target} ${BLIB_LIBRARIES_TO_LINK})
    target_compile_definitions(${test_target} PRIVATE
      NS_TEST_SOURCEDIR="${CMAKE_CURRENT_SOURCE_DIR}/test")
    _mtp_common_target_settings(${test_target})

    # Test runner: ns-3's own main. The test library holds only static
    # TestSuite registrations (no symbol the runner uses), so with Debian's
    # default --as-needed it would be dropped: link it with --no-as-needed.
    file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/generated/${BLIB_LIBNAME}-test-runner.cc CONTENT
"// Generated by cmake/mtp-standalone.cmake: ns-3's test runner.
#include \"ns3/test.h\"

int
main(int argc, char** argv)
{
    return ns3::TestRunner::Run(argc, argv);
}
")
    add_executable(${BLIB_LIBNAME}-test-runner
                   ${CMAKE_BINARY_DIR}/generated/${BLIB_LIBNAME}-test-runner.cc)
    # (The LINKER: prefix is not understood by target_link_libraries, and
    # target_link_options would put the flag before every library; plain
    # -Wl, items keep their place in the link line, as ns-3 does it.)
    if(APPLE)
      set(no_as_needed)
      set(as_needed)
    else()
      set(no_as_needed "-Wl,--no-as-needed")
      set(as_needed "-Wl,--as-needed")
    endif()
    target_link_libraries(${BLIB_LIBNAME}-test-runner PRIVATE
      ${no_as_needed} ${test_target} ${as_needed}
      ${target} ${BLIB_LIBRARIES_TO_LINK})
    _mtp_common_target_settings(${BLIB_LIBNAME}-test-runner)
    set(MTP_TEST_RUNNER_TARGET ${BLIB_LIBNAME}-test-runner CACHE INTERNAL "")
  endif()
endfunction()

# --------------------------------------------------------------------------
# build_lib_example stand-in (called from examples/CMakeLists.txt, inside
# build_lib, so BLIB_LIBNAME is visible as in ns-3)
# --------------------------------------------------------------------------
function(build_lib_example)
  set(options IGNORE_PCH)
  set(oneValueArgs NAME)
  set(multiValueArgs SOURCE_FILES HEADER_FILES LIBRARIES_TO_LINK)
  cmake_parse_arguments(BLIB_EXAMPLE "${options}" "${oneValueArgs}" "${multiValueArgs}" ${ARGN})
  if(BLIB_EXAMPLE_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "build_lib_example: unexpected arguments: ${BLIB_EXAMPLE_UNPARSED_ARGUMENTS}")
  endif()
  add_executable(${BLIB_EXAMPLE_NAME} ${BLIB_EXAMPLE_SOURCE_FILES} ${BLIB_EXAMPLE_HEADER_FILES})
  target_link_libraries(${BLIB_EXAMPLE_NAME} PRIVATE
    ${lib${BLIB_LIBNAME}} ${BLIB_EXAMPLE_LIBRARIES_TO_LINK})
  _mtp_common_target_settings(${BLIB_EXAMPLE_NAME})
  set_property(GLOBAL APPEND PROPERTY MTP_EXAMPLES ${BLIB_EXAMPLE_NAME})
endfunction()

# --------------------------------------------------------------------------
# After the module is described: CTests for the ns-3 test suites.
# --------------------------------------------------------------------------
function(mtp_standalone_finish)
  if(MTP_ENABLE_TESTS AND TARGET "${MTP_TEST_RUNNER_TARGET}")
    foreach(suite IN LISTS MTP_TEST_SUITES)
      add_test(NAME ${suite}
               COMMAND $<TARGET_FILE:${MTP_TEST_RUNNER_TARGET}> --suite=${suite} --verbose)
      set_tests_properties(${suite} PROPERTIES LABELS "ns3-suite" TIMEOUT 900)
    endforeach()
    # Cross-check: every suite compiled into the runner is registered above,
    # and every registered suite exists.
    string(REPLACE ";" "," expected "${MTP_TEST_SUITES}")
    add_test(NAME mtp-suites-registered
             COMMAND ${CMAKE_COMMAND}
               -DRUNNER=$<TARGET_FILE:${MTP_TEST_RUNNER_TARGET}>
               -DEXPECTED=${expected}
               -P ${PROJECT_SOURCE_DIR}/cmake/mtp-check-suites.cmake)
    set_tests_properties(mtp-suites-registered PROPERTIES LABELS "ns3-suite")
  endif()

  # Examples as smoke tests, as ns-3's test.py does: every entry of
  # test/examples-to-run.py whose condition is literally "True" becomes the
  # CTest "example.<program> [args]" (it must exit 0).
  # The gtest program listed there is for ns-3's test.py in an ns-3 tree;
  # here CTest runs each of its tests (cmake/mtp-gtest.cmake).
  get_property(examples GLOBAL PROPERTY MTP_EXAMPLES)
  get_property(gtest_program GLOBAL PROPERTY MTP_GTEST_NAME)
  set(etr ${PROJECT_SOURCE_DIR}/test/examples-to-run.py)
  if(MTP_ENABLE_TESTS AND examples AND EXISTS ${etr})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${etr})
    file(READ ${etr} etr_text)
    string(REGEX MATCHALL "\\(\"[^\"]+\", *\"True\"" entries "${etr_text}")
    foreach(entry IN LISTS entries)
      string(REGEX REPLACE "^\\(\"([^\"]+)\".*" "\\1" cmdline "${entry}")
      separate_arguments(cmd UNIX_COMMAND "${cmdline}")
      list(GET cmd 0 prog)
      if(prog STREQUAL gtest_program)
        continue()
      elseif(prog IN_LIST examples)
        list(REMOVE_AT cmd 0)
        # CTest names cannot hold spaces (CMake writes them unquoted).
        string(REPLACE " " "_" tname "example.${cmdline}")
        add_test(NAME "${tname}" COMMAND $<TARGET_FILE:${prog}> ${cmd})
        set_tests_properties("${tname}" PROPERTIES LABELS "example" TIMEOUT 600)
      else()
        message(WARNING "mtp: ${etr} names '${prog}', which is not an example target")
      endif()
    endforeach()
  endif()
  # Determinism: the same seed and arguments give byte-identical output.
  foreach(det IN LISTS MTP_DETERMINISM_CHECKS)
    separate_arguments(cmd UNIX_COMMAND "${det}")
    list(GET cmd 0 prog)
    list(REMOVE_AT cmd 0)
    if(MTP_ENABLE_TESTS AND prog IN_LIST examples)
      string(REPLACE ";" "\\;" cmdargs "${cmd}")
      string(REPLACE " " "_" tname "deterministic.${det}")
      add_test(NAME "${tname}"
               COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${prog}> "-DARGS=${cmdargs}"
                       -P ${PROJECT_SOURCE_DIR}/cmake/mtp-check-deterministic.cmake)
      set_tests_properties("${tname}" PROPERTIES LABELS "example" TIMEOUT 600)
    endif()
  endforeach()
  # Exit codes: each entry "<code> <stderr regex> <program> [args]" must exit
  # with <code> and, when non-zero, print a line matching the regex on stderr.
  foreach(chk IN LISTS MTP_EXIT_CODE_CHECKS)
    separate_arguments(cmd UNIX_COMMAND "${chk}")
    list(POP_FRONT cmd code pattern prog)
    if(MTP_ENABLE_TESTS AND prog IN_LIST examples)
      string(REPLACE ";" "\\;" cmdargs "${cmd}")
      string(REPLACE " " "_" tname "exitcode.${chk}")
      add_test(NAME "${tname}"
               COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${prog}> "-DARGS=${cmdargs}"
                       -DEXPECT=${code} "-DEXPECT_STDERR=${pattern}"
                       -P ${PROJECT_SOURCE_DIR}/cmake/mtp-check-exit-code.cmake)
      set_tests_properties("${tname}" PROPERTIES LABELS "example" TIMEOUT 600)
    endif()
  endforeach()
  # Emulation: scripts that set up namespaces/veth/tap and run an example in
  # real time; exit code 77 = skipped (not root, no netns, no /dev/net/tun).
  foreach(emu IN LISTS MTP_EMULATION_TESTS)
    separate_arguments(cmd UNIX_COMMAND "${emu}")
    list(POP_FRONT cmd tname script prog)
    if(MTP_ENABLE_TESTS AND prog IN_LIST examples)
      add_test(NAME ${tname}
               COMMAND bash ${PROJECT_SOURCE_DIR}/${script} $<TARGET_FILE:${prog}> ${cmd})
      set_tests_properties(${tname} PROPERTIES LABELS "emulation" TIMEOUT 300
                           SKIP_RETURN_CODE 77 RUN_SERIAL TRUE)
    endif()
  endforeach()
  find_program(MTP_PYTHON3 python3)
  mark_as_advanced(MTP_PYTHON3)
  # Wireshark dissector (tools/wireshark/mtp.lua): tshark decodes the pcaps an
  # example writes and every field is compared with the example's own record
  # (test/wireshark/check-dissector.py); plus hand-built malformed packets.
  # Each entry: "<types that must appear> <IP protocol number> <program> [args]".
  # tshark missing at run time fails these tests with what to install.
  set(dissector_script ${PROJECT_SOURCE_DIR}/test/wireshark/check-dissector.py)
  set(dissector_lua ${PROJECT_SOURCE_DIR}/tools/wireshark/mtp.lua)
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3 AND EXISTS ${dissector_script})
    foreach(check IN LISTS MTP_DISSECTOR_CHECKS)
      separate_arguments(cmd UNIX_COMMAND "${check}")
      list(POP_FRONT cmd types proto prog)
      if(NOT prog IN_LIST examples)
        message(WARNING "mtp: MTP_DISSECTOR_CHECKS names '${prog}', which is not an example")
        continue()
      endif()
      list(JOIN cmd "_" args)
      string(REGEX REPLACE "_$" "" tname "wireshark.${prog}_${args}")
      add_test(NAME "${tname}"
               COMMAND ${MTP_PYTHON3} ${dissector_script} --lua ${dissector_lua}
                       fields --types ${types} --protocol ${proto} --
                       $<TARGET_FILE:${prog}> ${cmd})
      set_tests_properties("${tname}" PROPERTIES LABELS "wireshark" TIMEOUT 600)
    endforeach()
    add_test(NAME wireshark.malformed
             COMMAND ${MTP_PYTHON3} ${dissector_script} --lua ${dissector_lua} malformed)
    set_tests_properties(wireshark.malformed PROPERTIES LABELS "wireshark" TIMEOUT 300)
  endif()
  # Port mapper pcaps (test/portmap/check-mapped-ports.py): only mapped ports on
  # the wire; exit code 77 = skipped (tshark not installed).
  set(portmap_pcap_script ${PROJECT_SOURCE_DIR}/test/portmap/check-mapped-ports.py)
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3 AND EXISTS ${portmap_pcap_script})
    foreach(check IN LISTS MTP_PORTMAP_PCAP_CHECKS)
      separate_arguments(cmd UNIX_COMMAND "${check}")
      list(POP_FRONT cmd prog)
      if(NOT prog IN_LIST examples)
        message(WARNING "mtp: MTP_PORTMAP_PCAP_CHECKS names '${prog}', which is not an example")
        continue()
      endif()
      string(REPLACE " " "_" tname "portmap-pcap.${check}")
      add_test(NAME "${tname}"
               COMMAND ${MTP_PYTHON3} ${portmap_pcap_script} --lua ${dissector_lua} --
                       $<TARGET_FILE:${prog}> ${cmd})
      set_tests_properties("${tname}" PROPERTIES LABELS "wireshark" TIMEOUT 600
                           SKIP_RETURN_CODE 77)
    endforeach()
  endif()
  # wscript-compat/wscript reads its file lists out of the CMakeLists: check
  # that it still can (a stand-in for waf; no waf-era tree is available).
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3
     AND EXISTS ${PROJECT_SOURCE_DIR}/wscript-compat/check-wscript.py)
    add_test(NAME wscript-compat
             COMMAND ${MTP_PYTHON3} ${PROJECT_SOURCE_DIR}/wscript-compat/check-wscript.py
                     ${PROJECT_SOURCE_DIR})
    set_tests_properties(wscript-compat PROPERTIES LABELS "build" TIMEOUT 60)
  endif()
  # scripts/sweep.py and scripts/plot.py for real, on a tiny grid of the
  # mtp-datacenter example (finishes, resumes, reruns failed points, plots).
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3 AND TARGET mtp-datacenter
     AND EXISTS ${PROJECT_SOURCE_DIR}/scripts/test_sweep.py)
    add_test(NAME sweep-runner
             COMMAND ${MTP_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/test_sweep.py
                     --binary $<TARGET_FILE:mtp-datacenter>
                     --workdir ${CMAKE_BINARY_DIR}/test-sweep)
    set_tests_properties(sweep-runner PROPERTIES LABELS "example" TIMEOUT 900)
  endif()
  # The Homa comparison scaled down (2 racks of 4 hosts, W1-W5 at 80%, short
  # runs): each size bucket's median and p99 slowdown within 10% of
  # test/fabric/slowdown-baseline.csv and its message count exact.
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3 AND TARGET mtp-datacenter
     AND EXISTS ${PROJECT_SOURCE_DIR}/scripts/slowdown_regression.py)
    add_test(NAME slowdown-regression
             COMMAND ${MTP_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/slowdown_regression.py
                     --binary $<TARGET_FILE:mtp-datacenter>
                     --baseline ${PROJECT_SOURCE_DIR}/test/fabric/slowdown-baseline.csv
                     --workdir ${CMAKE_BINARY_DIR}/test-slowdown-regression)
    set_tests_properties(slowdown-regression PROPERTIES LABELS "example" TIMEOUT 600)
  endif()
  # The statistics of the sweeps (95% Student t intervals over seeds, --seeds)
  # against hand-computed values, and homa-comparison.sh's table and
  # tolerance judgement on synthetic results: no simulation, seconds.
  if(MTP_ENABLE_TESTS AND MTP_PYTHON3
     AND EXISTS ${PROJECT_SOURCE_DIR}/scripts/test_homa_comparison.py)
    add_test(NAME sweep-stats
             COMMAND ${MTP_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/test_sweep.py --unit)
    set_tests_properties(sweep-stats PROPERTIES LABELS "unit" TIMEOUT 60)
    add_test(NAME homa-comparison-check
             COMMAND ${MTP_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/test_homa_comparison.py
                     --workdir ${CMAKE_BINARY_DIR}/test-homa-comparison)
    set_tests_properties(homa-comparison-check PROPERTIES LABELS "unit" TIMEOUT 120)
  endif()
  mtp_add_fuzzers()
  mtp_sanitize_finish()
  string(REPLACE ";" " " examples "${examples}")
  message(STATUS "mtp: examples: ${examples}")
  message(STATUS "mtp: ns-3 test suites registered with CTest: ${MTP_TEST_SUITES}")
endfunction()
