/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-oci oci-image IMAGE.unf DIR [--tag TAG]`: writes an OCI image layout (oci-layout,
 * index.json, blobs/sha256/...). index.json names, by TAG, an OCI image index with one manifest
 * per kernel the .unf carries: platform {architecture amd64/arm64 from the kernel's arch, os
 * linux, os.features ["unf.PLATFORM"]}, descriptor annotations org.unf.platform and
 * org.unf.arch, so engines pick a manifest by architecture. Every manifest has the same single
 * layer, the .unf itself (a ustar of manifest.json, kernels/ and files/, so the container's
 * rootfs is the image unpacked and the runtime picks the unf platform at create time), a config
 * for that architecture whose entrypoint is the image's name and whose command is its default
 * args, and org.unf.* labels/annotations (name, version, kernels; org.unf.kernel on each
 * manifest). skopeo and podman read it as oci:DIR:TAG (TAG defaults to "latest").
 */
#ifndef OCI_LAYOUT_H
#define OCI_LAYOUT_H

#include <stddef.h>

int oci_layout_write(const char *image_path, const char *dir, const char *tag, char *err, size_t errlen);

#endif
