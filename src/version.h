/* version.h — the product's version, shown by `shorewall version` and in generated output. */
#ifndef SHOREWALL_VERSION_H
#define SHOREWALL_VERSION_H 1
#define SHOREWALL_C_VERSION "0.1.0"
#endif /* SHOREWALL_VERSION_H */
