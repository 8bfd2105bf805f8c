#ifndef LWIP_HDR_TEST_MQTT_H__
#define LWIP_HDR_TEST_MQTT_H__

#include "../lwip_check.h"

Suite* mqtt_suite(void);

#endif
