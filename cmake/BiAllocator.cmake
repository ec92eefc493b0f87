# SPDX-License-Identifier: GPL-3.0-or-later
# The executables' allocator. Parsing and importing make millions of small Qt strings on
# several threads; jemalloc serves them faster than glibc's malloc (bench/parse_bench.sh:
# about 8 % less wall time). Without libjemalloc-dev, or under the sanitizers (which bring
# their own allocator), glibc's malloc stays. Linked with --no-as-needed: nothing names a
# jemalloc symbol, it replaces malloc by being loaded before libc.
option(BI_JEMALLOC "Link the executables with jemalloc when it is installed" ON)
if(BI_JEMALLOC AND NOT BI_SANITIZE AND NOT BI_FUZZ)
  find_library(BI_JEMALLOC_LIBRARY NAMES jemalloc)
endif()
if(BI_JEMALLOC_LIBRARY)
  message(STATUS "Allocator: jemalloc (${BI_JEMALLOC_LIBRARY})")
else()
  message(STATUS "Allocator: the C library's malloc")
endif()

function(bi_link_allocator target)
  if(BI_JEMALLOC_LIBRARY)
    target_link_libraries(${target} PRIVATE "-Wl,--push-state,--no-as-needed" "${BI_JEMALLOC_LIBRARY}"
                          "-Wl,--pop-state")
  endif()
endfunction()
