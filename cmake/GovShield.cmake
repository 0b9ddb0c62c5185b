# Helpers that keep every module's CMakeLists.txt a few lines long.
#
#   gs_library(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#       static library gs_<name>, alias gs::<name>; include root is src/.
#   gs_test(<name> SOURCES ... [DEPS ...] [LABELS ...] [TIMEOUT s])
#       one GoogleTest binary <name>_test per module; each TEST becomes a ctest case.
#   gs_fuzz(<name> SOURCES ... [DEPS ...])
#       a fuzz target exporting LLVMFuzzerTestOneInput. With GS_LIBFUZZER it links
#       libFuzzer; otherwise it links fuzz/replay_main.cc and ctest replays
#       fuzz/corpus/<name>/ through it (so GCC builds and runs every corpus too).

function(gs_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(gs_${name} STATIC ${A_SOURCES})
  target_include_directories(gs_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(gs_${name} PUBLIC ${A_DEPS} PRIVATE ${A_PRIVATE_DEPS})
  add_library(gs::${name} ALIAS gs_${name})
endfunction()

function(gs_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  add_executable(${name}_test ${A_SOURCES})
  target_include_directories(${name}_test PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name}_test PRIVATE ${A_DEPS} gs::testlib GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name}_test PRIVATE
      GS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      GS_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name}_test
      DISCOVERY_MODE PRE_TEST
      PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT}
      WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()

function(gs_fuzz name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${A_SOURCES})
  target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fuzz_${name} PRIVATE ${A_DEPS})
  if(GS_LIBFUZZER)
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    add_test(NAME fuzz_replay_${name}
             COMMAND fuzz_${name} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS "fuzz" TIMEOUT 600)
  endif()
endfunction()
