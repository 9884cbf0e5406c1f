# libFuzzer harnesses of the mtp module (fuzz/), standalone build only.
# Built when MTP_ENABLE_FUZZ=ON (cmake/mtp-sanitize.cmake checks for clang);
# normally together with MTP_SANITIZE=address,undefined, so that a memory error
# or UB found while fuzzing stops the run with a report:
#
#   CXX=clang++ MTP_BUILD_DIR=build-asan ./ns3 configure --enable-sanitizers --enable-fuzz
#   MTP_BUILD_DIR=build-asan ./ns3 build mtp-fuzz-header mtp-fuzz-receive
#   fuzz/run-fuzzers.sh build-asan 60
#
# mtp_add_fuzzers() (called by mtp_standalone_finish()):
#  * compiles the mtp library with -fsanitize=fuzzer-no-link, so libFuzzer gets
#    coverage feedback from the code under test, not only from the harness;
#  * one executable per harness, fuzz/<name>.cc, linked with libFuzzer's main;
#  * CTest "fuzz-corpus.<name>" (label "fuzz"): the harness runs every input of
#    its seed corpus fuzz/corpus/<name>/ once; a regression test for the seeds
#    and for any crash input added there after a fix.

include_guard(GLOBAL)

set(MTP_FUZZERS mtp-fuzz-header mtp-fuzz-receive)

function(mtp_add_fuzzers)
  if(NOT MTP_ENABLE_FUZZ)
    return()
  endif()
  target_compile_options(mtp PRIVATE -fsanitize=fuzzer-no-link)
  foreach(name IN LISTS MTP_FUZZERS)
    add_executable(${name} ${PROJECT_SOURCE_DIR}/fuzz/${name}.cc)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE mtp)
    _mtp_common_target_settings(${name})
    set(corpus ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
    if(MTP_ENABLE_TESTS AND EXISTS ${corpus})
      add_test(NAME fuzz-corpus.${name} COMMAND $<TARGET_FILE:${name}> -runs=0 ${corpus})
      set_tests_properties(fuzz-corpus.${name} PROPERTIES LABELS "fuzz" TIMEOUT 300)
    endif()
  endforeach()
  string(REPLACE ";" " " names "${MTP_FUZZERS}")
  message(STATUS "mtp: libFuzzer harnesses: ${names}")
endfunction()
