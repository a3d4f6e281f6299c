# cmake -DIN=FILE -DOUT=FILE.cpp -DNAME=symbol -P embed_text.cmake
# Writes a C++ file defining `extern const std::string_view NAME`: the bytes of IN, so that the
# HTML report carries its scripts and styles inline (nothing fetched when it is opened).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by embed_text.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace ipch {\n"
  "static const unsigned char ${NAME}_bytes[] = {${bytes} 0};\n"
  "extern const std::string_view ${NAME};\n"
  "const std::string_view ${NAME}(reinterpret_cast<const char*>(${NAME}_bytes), ${size});\n"
  "} // namespace ipch\n")
file(RENAME "${OUT}.tmp" "${OUT}")
