# Writes OUTPUT, a C++ file holding the SQL migration files MIGRATIONS (paths separated by `|`) as string
# literals, so the binary needs no source tree at run time. Run with `cmake -P`.
string(REPLACE "|" ";" MIGRATIONS "${MIGRATIONS}")
set(body "")
foreach(file IN LISTS MIGRATIONS)
  get_filename_component(name ${file} NAME)
  file(READ ${file} sql)
  string(FIND "${sql}" ")lhsql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw string delimiter )lhsql\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"lhsql(${sql})lhsql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from persistence/migrations/*.sql by embed_migrations.cmake: do not edit.
#include \"persistence/migrations.hpp\"

namespace leasehold::persistence {

const std::vector<embedded_file>& embedded_migration_files() {
  static const std::vector<embedded_file> files = {
${body}  };
  return files;
}

} // namespace leasehold::persistence
")
# Unchanged content keeps the timestamp, so nothing recompiles needlessly.
configure_file(${OUTPUT}.tmp ${OUTPUT} COPYONLY)
file(REMOVE ${OUTPUT}.tmp)
