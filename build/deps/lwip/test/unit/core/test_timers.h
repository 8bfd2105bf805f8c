#ifndef LWIP_HDR_TEST_TIMERS_H
#define LWIP_HDR_TEST_TIMERS_H

#include "../lwip_check.h"

Suite *timers_suite(void);

#endif
