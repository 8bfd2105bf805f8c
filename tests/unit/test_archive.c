/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the file archive (guest/archive.c) over real ustar files made by tar(1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/files.h>

#include "check.h"

static int count_entries(void *arg, const struct unf_file *f)
{
    (void)f;
    (*(int *)arg)++;
    return 0;
}

int main(void)
{
    /* A real ustar archive made by tar(1): hello.txt, dir/, dir/nested.txt and a path over 100
     * characters (stored with the ustar prefix field). */
    char dir[] = "/tmp/unf-archive-XXXXXX", cmd[1024], long_path[200];
    if (!mkdtemp(dir))
        return 1;
    snprintf(long_path, sizeof(long_path), "dir/%s/file", "a-directory-name-long-enough-to-need-the-prefix-field-"
             "of-ustar-because-it-is-over-one-hundred-chars");
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p dir/$(dirname %s | cut -d/ -f2-) && printf 'hello\\n' > hello.txt && "
             "printf nested > dir/nested.txt && printf long > %s && "
             "tar --format=ustar -cf files.tar hello.txt dir", dir, long_path, long_path);
    if (system(cmd) != 0)
        return 1;
    snprintf(cmd, sizeof(cmd), "%s/files.tar", dir);
    setenv("UNF_FILES", cmd, 1);

    struct unf_file f;
    CHECK(unf_file_find("hello.txt", &f) == 0 && f.size == 6 && memcmp(f.data, "hello\n", 6) == 0,
          "archive.find-file");
    CHECK(unf_file_find("/hello.txt", &f) == 0, "archive.leading-slash");
    CHECK(unf_file_find("dir", &f) == 0 && f.is_dir, "archive.directory");
    CHECK(unf_file_find("dir/", &f) == 0 && f.is_dir, "archive.directory-trailing-slash");
    CHECK(unf_file_find("dir/nested.txt", &f) == 0 && f.size == 6 && f.mtime > 0, "archive.nested-and-mtime");
    CHECK(unf_file_find("missing", &f) == -1, "archive.missing");
    CHECK(unf_file_find("hello.tx", &f) == -1, "archive.prefix-is-not-a-match");
    CHECK(unf_file_find(long_path, &f) == 0 && f.size == 4, "archive.long-path-prefix-field");
    int n = 0;
    unf_file_foreach(count_entries, &n);
    CHECK(n == 5, "archive.foreach-counts-all");
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return CHECK_DONE();
}
