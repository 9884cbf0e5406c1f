# Runs a program twice with the same arguments and fails unless both runs
# exit 0 and print byte-identical standard output (the determinism promise:
# same seed and arguments, same output).
#   cmake -DPROGRAM=<exe> -DARGS="<arg;arg...>" -P mtp-check-deterministic.cmake
# ARGS arrives with its list separators escaped (add_test would split them
# otherwise): turn "\;" back into ";" so that each argument is its own word.
string(REPLACE "\\;" ";" ARGS "${ARGS}")
foreach(run 1 2)
  execute_process(COMMAND ${PROGRAM} ${ARGS}
                  OUTPUT_VARIABLE out${run}
                  RESULT_VARIABLE rc${run})
  if(NOT rc${run} EQUAL 0)
    message(FATAL_ERROR "run ${run} of ${PROGRAM} ${ARGS} exited with ${rc${run}}")
  endif()
endforeach()
string(LENGTH "${out1}" len)
if(len EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} printed nothing: nothing to compare")
endif()
if(NOT out1 STREQUAL out2)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deterministic-run1.txt "${out1}")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deterministic-run2.txt "${out2}")
  message(FATAL_ERROR "two runs of ${PROGRAM} ${ARGS} printed different output "
                      "(see deterministic-run1.txt and deterministic-run2.txt)")
endif()
message(STATUS "identical output (${len} bytes) from two runs of ${PROGRAM} ${ARGS}")
