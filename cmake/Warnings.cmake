# ipch_warnings(TARGET): the project's warning set; -Werror with IPCH_WERROR (the dev preset).
function(ipch_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(IPCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
