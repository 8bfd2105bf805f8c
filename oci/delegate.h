/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Handing containers that are not unikernels to runc, the way urunc does under Kubernetes: the
 * CRI creates a pod's sandbox ("pause") container with the pod's runtime handler too, so with
 * RuntimeClass `handler: unf` every pod's sandbox reaches unf-oci. A bundle annotated as a CRI
 * sandbox (io.kubernetes.cri.container-type = sandbox), or with org.unf.delegate = runc, is run
 * by runc (`runc` in PATH, or $UNF_OCI_RUNC) with its state under <root>/.runc; later commands
 * for such an ID go to runc too.
 */
#ifndef OCI_DELEGATE_H
#define OCI_DELEGATE_H

/* create: the bundle at dir asks to be run by runc. */
int oci_delegate_wanted(const char *bundle_dir);
/* A command for id: runc holds this container (its state dir exists under <root>/.runc). */
int oci_delegate_holds(const char *root, const char *id);
/* Re-executes the whole command line as runc's, with --root <root>/.runc. Returns only on
 * failure (-1, reported). */
int oci_delegate_exec(const char *root, int argc, char **argv);

#endif
