// Macros shared by the host and the device code of multi_file.cu (included from a header that is
// itself included: nested quoted includes resolve relative to the including file).
#ifndef MULTI_FILE_UTIL_H
#define MULTI_FILE_UTIL_H

#define MF_OFFSET 17
#define MF_WEIGHT(i) (((i) % 4) + 1)

#endif
