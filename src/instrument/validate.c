/* validate.c - being written */
#include "instrument/instrument.h"
