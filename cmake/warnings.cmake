function(emailv2_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                           -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wnull-dereference
                                           -Wimplicit-fallthrough -Wformat=2)
  if(EMAILV2_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(EMAILV2_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${EMAILV2_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${EMAILV2_SANITIZE})
  endif()
endfunction()
