# Runs a program once and fails unless it exits with the expected code and,
# for a non-zero code, says why on standard error (the examples' promise:
# failed or unfinished work and bad arguments are never silent).
#   cmake -DPROGRAM=<exe> -DARGS="<arg;arg...>" -DEXPECT=<code> -P mtp-check-exit-code.cmake
# ARGS arrives with its list separators escaped (see mtp-check-deterministic.cmake).
string(REPLACE "\\;" ";" ARGS "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${ARGS}
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                RESULT_VARIABLE rc)
if(NOT rc STREQUAL "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} exited with '${rc}', expected ${EXPECT}\n"
                      "stderr:\n${err}")
endif()
if(NOT EXPECT EQUAL 0 AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} exited with ${rc} but its stderr does not match "
                      "'${EXPECT_STDERR}':\n${err}")
endif()
message(STATUS "${PROGRAM} ${ARGS} exited with ${rc} as expected")
