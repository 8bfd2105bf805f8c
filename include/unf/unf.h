/* SPDX-License-Identifier: BSD-2-Clause */
/* Everything an app may use: include this one header. */
#ifndef UNF_UNF_H
#define UNF_UNF_H
#include <unf/files.h>
#include <unf/log.h>
#include <unf/loop.h>
#include <unf/net.h>
#endif
