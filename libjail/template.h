/*
 * template: root trees.  A template is a recipe (RECIPES/NAME/build, a
 * script that fills the directory it is given) and its built tree in the
 * store (STORE/NAME, with the build's id in STORE/NAME.build), or an
 * absolute path to a tree the user already has, used as it is.  A jail's
 * root tree is a copy of the template's, or an overlay on it whose upper
 * and work directories sit beside the jail's path.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <stddef.h>

#include "libjail.h"

/*
 * The tree of template tmpl, built first when it is missing (the recipe's
 * output goes to our stdout and stderr).  Fills root with the tree's path
 * and build with the id of the build it came from ("path:DEV:INO:MTIME" for
 * an absolute path).  Concurrent callers build a template once.
 */
int jail_template_get(const char *store, const char *recipes, const char *tmpl,
    char *root, size_t rootlen, char *build, size_t buildlen,
    struct jail_error *err);

/*
 * Make a jail's root tree at path from the template tree troot: a full copy
 * (overlay == 0), or an empty mount point and the overlay's layer directory
 * (upper/ and work/, see jail_tree_layers()).  path must not exist or be an
 * empty directory; missing parents are created.  The template is never
 * written.  On failure, what this call created is removed.
 */
int jail_tree_create(const char *troot, const char *path, int overlay,
    struct jail_error *err);

/*
 * The overlay layer directory of the jail at path: "/var/jail/www" gives
 * "/var/jail/.www.overlay".  -1 (errno set) when it does not fit in len or
 * path has no last component.
 */
int jail_tree_layers(const char *path, char *buf, size_t len);

/*
 * Delete a jail's root tree (and with overlay, its layer directory) without
 * following symlinks and without entering mount points: when anything at or
 * below path is a mount point, nothing is removed and err names it.  A
 * missing path is not an error; "/" and relative paths are refused.
 */
int jail_tree_remove(const char *path, int overlay, struct jail_error *err);

#endif /* TEMPLATE_H */
