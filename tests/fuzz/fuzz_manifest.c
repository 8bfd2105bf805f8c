/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the runtime's image reader (runtime/image.c, tar.c, manifest.c) on arbitrary
 * bytes. Images come from users, so any input must give either an image or one error line, never
 * a crash, a leak or a read outside the input. The first byte picks what the rest is:
 *   0: a whole image file, opened, inspected, and its kernel and files/ extracted;
 *   1: manifest.json text, parsed both as a manifest and as an app.json;
 *   2: manifest.json text, wrapped in an otherwise valid image (so the fuzzer need not solve tar
 *      checksums to reach the manifest checks and the kernel lookups behind them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../runtime/image.h"
#include "../../runtime/manifest.h"
#include "../../runtime/tar.h"

static char workdir[] = "/tmp/fuzz_manifest.XXXXXX";
static char kernel_path[64], files_path[64];
static FILE *devnull;

static void remove_workdir(void)
{
    unlink(kernel_path);
    unlink(files_path);
    rmdir(workdir);
}

static int setup(void)
{
    if (devnull)
        return 0;
    if (!mkdtemp(workdir))
        return -1;
    snprintf(kernel_path, sizeof kernel_path, "%s/kernel", workdir);
    snprintf(files_path, sizeof files_path, "%s/files.tar", workdir);
    atexit(remove_workdir);
    devnull = fopen("/dev/null", "w");
    return devnull ? 0 : -1;
}

static void check_err(const char *err)
{
    if (!err[0] || strchr(err, '\n'))
        abort(); /* every failure must say why, in one line */
}

static void exercise(struct image *img)
{
    char err[512] = "";
    static const char *const platforms[] = {"proc", "virtio", NULL};
    if (image_print_manifest(img, devnull, err, sizeof err) != 0)
        check_err(err);
    const struct image_kernel *k = image_select_kernel(img, "x86_64", platforms, err, sizeof err);
    if (!k)
        check_err(err);
    else if (image_extract_kernel(img, k, kernel_path, err, sizeof err) != 0)
        check_err(err);
    if (image_extract_files(img, files_path, err, sizeof err) != 0)
        check_err(err);
}

static void open_image(const uint8_t *data, size_t size)
{
    struct image img;
    char err[512] = "";
    if (image_open_mem(data, size, "fuzz.unf", &img, err, sizeof err) != 0) {
        check_err(err);
        return;
    }
    exercise(&img);
    image_free(&img);
}

static void parse_text(const uint8_t *data, size_t size)
{
    struct image img;
    char err[512] = "";
    memset(&img, 0, sizeof img);
    if (manifest_parse((const char *)data, size, &img, err, sizeof err) == 0) {
        json_t *j = manifest_to_json(&img);
        if (!j)
            abort(); /* a valid manifest must serialize */
        json_decref(j);
    } else {
        check_err(err);
    }
    image_free(&img);
    memset(&img, 0, sizeof img);
    if (manifest_parse_app((const char *)data, size, &img, err, sizeof err) != 0)
        check_err(err);
    image_free(&img);
}

/* A minimal x86_64 ELF64 header: enough for the reader's architecture check. */
static void fake_kernel(uint8_t *k, size_t len)
{
    memset(k, 0, len);
    memcpy(k, "\177ELF\2\1\1", 7);
    k[18] = 62;
}

static void wrap_manifest(const uint8_t *data, size_t size)
{
    uint8_t kernel[64];
    struct tar_writer w;
    int fd = memfd_create("fuzz_manifest", 0);
    if (fd < 0)
        return;
    fake_kernel(kernel, sizeof kernel);
    tar_writer_init(&w, fd);
    tar_writer_add_file(&w, "manifest.json", 0644, data, size);
    tar_writer_add_file(&w, "kernels/x86_64-proc", 0755, kernel, sizeof kernel);
    tar_writer_add_file(&w, "kernels/x86_64-virtio", 0755, kernel, sizeof kernel);
    tar_writer_add_dir(&w, "files/www");
    tar_writer_add_file(&w, "files/www/index.html", 0644, "hi\n", 3);
    off_t len = tar_writer_finish(&w) == 0 ? lseek(fd, 0, SEEK_CUR) : -1;
    uint8_t *buf = len > 0 ? malloc((size_t)len) : NULL;
    if (buf && pread(fd, buf, (size_t)len, 0) == len)
        open_image(buf, (size_t)len);
    free(buf);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || setup() != 0)
        return 0;
    switch (data[0] % 3) {
    case 0: open_image(data + 1, size - 1); break;
    case 1: parse_text(data + 1, size - 1); break;
    default: wrap_manifest(data + 1, size - 1); break;
    }
    return 0;
}
