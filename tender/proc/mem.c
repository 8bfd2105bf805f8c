/*
 * Mapping the guest's heap, stack, archive and boot page (see mem.h). None of these are ever
 * unmapped: they live as long as the guest, which is as long as the process.
 */
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

#define PAGE 4096u

static void *map_anon(size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int mem_map_heap(size_t size, uint64_t *start)
{
    void *p = map_anon(size, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map a %zu byte heap: %s", size, strerror(errno));
    *start = (uint64_t)(uintptr_t)p;
    return 0;
}

int mem_map_stack(void **top)
{
    char *p = map_anon(MEM_STACK_SIZE + PAGE, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map the guest stack: %s", strerror(errno));
    /* The lowest page stays inaccessible: an overflow faults instead of corrupting memory. */
    if (mprotect(p, PAGE, PROT_NONE) < 0) {
        int err = errno;
        munmap(p, MEM_STACK_SIZE + PAGE);
        return tender_error("cannot protect the stack guard page: %s", strerror(err));
    }
    *top = p + PAGE + MEM_STACK_SIZE;
    return 0;
}

int mem_map_archive(const char *path, uint64_t *base, uint64_t *size)
{
    struct stat st;
    int rc = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tender_error("archive %s: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0) {
        tender_error("archive %s: stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        tender_error("archive %s: not a regular file", path);
        goto out;
    }
    *base = 0;
    *size = 0;
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            tender_error("archive %s: mmap: %s", path, strerror(errno));
            goto out;
        }
        *base = (uint64_t)(uintptr_t)p;
        *size = (uint64_t)st.st_size;
    }
    rc = 0;
out:
    close(fd);
    return rc;
}

static size_t boot_size(size_t cmdline_len)
{
    return (sizeof(struct proc_boot_info) + cmdline_len + 1 + PAGE - 1) & ~(size_t)(PAGE - 1);
}

int mem_map_boot(const char *cmdline, struct proc_boot_info **bi)
{
    size_t len = strlen(cmdline) + 1;
    size_t size = boot_size(len - 1);
    char *p = map_anon(size, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map the boot info: %s", strerror(errno));
    memcpy(p + sizeof(**bi), cmdline, len);
    *bi = (struct proc_boot_info *)p;
    (*bi)->cmdline = (uint64_t)(uintptr_t)(p + sizeof(**bi));
    return 0;
}

int mem_seal_boot(struct proc_boot_info *bi)
{
    size_t size = boot_size(strlen((const char *)(uintptr_t)bi->cmdline));
    if (mprotect(bi, size, PROT_READ) < 0)
        return tender_error("cannot protect the boot info: %s", strerror(errno));
    return 0;
}
