# ipc_harness_add_scenarios(DIR [LABELS label...] [ARGS arg...] [TIMEOUT seconds])
#
# Registers every scenario file under DIR (*.yaml and *.yml, searched recursively, relative to
# the calling CMakeLists.txt) as one CTest test, named "ipc-harness/<path under DIR without
# the extension>". Each test runs `ipc-harness run FILE` with its own output folder under the
# build tree, and writes there junit.xml (for CI to publish, one per test) and results.json.
# The test passes when ipc-harness exits 0: every expectation of the file met. LABELS are CTest
# labels (`ctest -L label`); ARGS go to `ipc-harness run` (say `--seed 42`); TIMEOUT is the
# test's CTest timeout (default 300 s; the scenario's own `timeout` ends a hung run first).
#
# The files are found when CMake configures: CONFIGURE_DEPENDS re-runs the search at build time,
# so a new scenario file becomes a test at the next build.
function(ipc_harness_add_scenarios dir)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIMEOUT" "LABELS;ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ipc_harness_add_scenarios: unknown arguments '${arg_UNPARSED_ARGUMENTS}'; "
                        "expected DIR [LABELS label...] [ARGS arg...] [TIMEOUT seconds]")
  endif()
  if(NOT TARGET ipc-harness::ipc-harness)
    message(FATAL_ERROR "ipc_harness_add_scenarios: call find_package(ipc-harness) first")
  endif()
  get_filename_component(root "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${root}")
    message(FATAL_ERROR "ipc_harness_add_scenarios: '${dir}' is not a directory (${root})")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  file(GLOB_RECURSE files CONFIGURE_DEPENDS "${root}/*.yaml" "${root}/*.yml")
  list(SORT files)
  if(NOT files)
    message(WARNING "ipc_harness_add_scenarios: no scenario files (*.yaml, *.yml) in ${root}")
  endif()
  # A test is named by the file's path without .yaml or .yml, unless foo.yaml and foo.yml sit
  # side by side: then both keep their extension, so that neither name nor folder is shared.
  set(stems "")
  foreach(file IN LISTS files)
    file(RELATIVE_PATH relative "${root}" "${file}")
    string(REGEX REPLACE "\\.ya?ml$" "" stem "${relative}")
    list(APPEND stems "${stem}")
  endforeach()
  foreach(file IN LISTS files)
    file(RELATIVE_PATH relative "${root}" "${file}")
    string(REGEX REPLACE "\\.ya?ml$" "" stem "${relative}")
    set(count 0)
    foreach(other IN LISTS stems)
      if(other STREQUAL stem)
        math(EXPR count "${count} + 1")
      endif()
    endforeach()
    if(count GREATER 1)
      set(stem "${relative}")
    endif()
    set(name "ipc-harness/${stem}")
    # The folder mirrors the file's path: a C identifier of it would give a-b.yaml and a_b.yaml
    # (or sub/a.yaml and sub_a.yaml) one folder, and their reports would overwrite each other.
    set(out "${CMAKE_CURRENT_BINARY_DIR}/ipc-harness-results/${stem}")
    add_test(NAME "${name}"
             COMMAND ipc-harness::ipc-harness run "${file}" --out "${out}"
                     --junit "${out}/junit.xml" --json "${out}/results.json" ${arg_ARGS})
    set_tests_properties("${name}" PROPERTIES TIMEOUT "${arg_TIMEOUT}")
    if(arg_LABELS)
      set_tests_properties("${name}" PROPERTIES LABELS "${arg_LABELS}")
    endif()
  endforeach()
endfunction()
