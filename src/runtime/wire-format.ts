// Mirrors native-check/ringlint-wire.h: the values the emulator, the traffic generator and the
// fixture consumers agree on. Change both together.

/** The default emulated TP_STATUS_IN_PROGRESS: bit 28, which the uapi leaves undefined. */
export const IN_PROGRESS_UNDEFINED_BIT = 1 << 28;
/** The RFC's own choice: reuse TP_STATUS_LOSING (bit 2). */
export const IN_PROGRESS_LOSING = 1 << 2;
