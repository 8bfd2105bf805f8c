#!/bin/sh

doxygen lwip.Doxyfile
