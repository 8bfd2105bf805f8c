/*
 * `unf-oci oci-image IMAGE.unf DIR [--tag TAG]`: writes an OCI image layout (oci-layout,
 * index.json, blobs/sha256/...) holding one image whose single layer is the .unf itself (a
 * ustar of manifest.json, kernels/ and files/, so the container's rootfs is the image
 * unpacked), with a config for amd64/linux whose entrypoint is the image's name and whose
 * command is its default args, and org.unf.* labels and annotations (name, version, kernels).
 * skopeo and podman read it as oci:DIR:TAG (TAG defaults to "latest").
 */
#ifndef OCI_LAYOUT_H
#define OCI_LAYOUT_H

#include <stddef.h>

int oci_layout_write(const char *image_path, const char *dir, const char *tag, char *err, size_t errlen);

#endif
