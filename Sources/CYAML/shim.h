#ifndef CYAML_SHIM_H
#define CYAML_SHIM_H
#if __has_include(<yaml.h>)
#include <yaml.h>
#else
#error "libyaml is not installed: bulk-import parses YAML with the system libyaml. Install it, then build again: Debian/Ubuntu `sudo apt-get install libyaml-dev pkg-config`, Fedora `sudo dnf install libyaml-devel pkgconf`, macOS `brew install libyaml`."
#endif
#endif
