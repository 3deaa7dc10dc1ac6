// Nothing: the module only declares LLVMFuzzerRunDriver, which libFuzzer defines.
#include "CFuzzerDriver.h"
