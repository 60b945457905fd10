/**
 * Register map of the NS16550A UART: offsets, bit fields and constants. A
 * driver imports this file alone; the device model is in `uart.ts`.
 *
 * @module
 */

/** Register offsets of the UART. */
export const UART_REG = {
  /** Receiver buffer (read) / transmitter holding (write) / divisor latch low (DLAB). */
  RBR: 0,
  /** Transmitter holding register (write, DLAB=0). */
  THR: 0,
  /** Divisor latch low byte (DLAB=1). */
  DLL: 0,
  /** Interrupt enable (DLAB=0). */
  IER: 1,
  /** Divisor latch high byte (DLAB=1). */
  DLM: 1,
  /** Interrupt identification (read). */
  IIR: 2,
  /** FIFO control (write). */
  FCR: 2,
  /** Line control. */
  LCR: 3,
  /** Modem control. */
  MCR: 4,
  /** Line status. */
  LSR: 5,
  /** Modem status. */
  MSR: 6,
  /** Scratch. */
  SCR: 7,
} as const;

/** IER bits. */
export const UART_IER = {
  /** Received data available (and character timeout). */
  ERBFI: 0x01,
  /** Transmitter holding register empty. */
  ETBEI: 0x02,
  /** Receiver line status. */
  ELSI: 0x04,
  /** Modem status. */
  EDSSI: 0x08,
} as const;

/** IIR values (bits 3:0); bits 7:6 are set while the FIFOs are enabled. */
export const UART_IIR = {
  /** No interrupt pending. */
  NONE: 0x01,
  /** Receiver line status (highest priority). */
  LINE_STATUS: 0x06,
  /** Received data available (FIFO at or above its trigger level). */
  RX_DATA: 0x04,
  /** Character timeout (FIFO mode): data waiting, nothing moved for 4 character times. */
  TIMEOUT: 0x0c,
  /** Transmitter holding register empty. */
  THR_EMPTY: 0x02,
  /** Modem status (lowest priority). */
  MODEM_STATUS: 0x00,
  /** Bits 7:6 set when FIFOs are enabled. */
  FIFO_ENABLED: 0xc0,
} as const;

/** FCR bits. */
export const UART_FCR = {
  /** Enable both FIFOs. */
  ENABLE: 0x01,
  /** Clear the receive FIFO. */
  RX_RESET: 0x02,
  /** Clear the transmit FIFO. */
  TX_RESET: 0x04,
  /** DMA mode select (accepted, no effect: there is no DMA handshake). */
  DMA_MODE: 0x08,
  /** Receive trigger level field, bits 7:6 (1, 4, 8, 14 bytes). */
  TRIGGER_MASK: 0xc0,
} as const;

/** LCR bits. */
export const UART_LCR = {
  /** Word length field: 0..3 = 5..8 bits. */
  WLEN_MASK: 0x03,
  /** Two stop bits (1.5 with 5-bit words). */
  STOP: 0x04,
  /** Parity enable. */
  PARITY: 0x08,
  /** Even parity. */
  EVEN: 0x10,
  /** Stick parity. */
  STICK: 0x20,
  /** Break control. */
  BREAK: 0x40,
  /** Divisor latch access. */
  DLAB: 0x80,
} as const;

/** MCR bits. */
export const UART_MCR = {
  /** Data terminal ready. */
  DTR: 0x01,
  /** Request to send. */
  RTS: 0x02,
  /** Output 1. */
  OUT1: 0x04,
  /** Output 2. */
  OUT2: 0x08,
  /** Local loopback. */
  LOOP: 0x10,
} as const;

/** LSR bits. */
export const UART_LSR = {
  /** Data ready. */
  DR: 0x01,
  /** Overrun error. */
  OE: 0x02,
  /** Parity error. */
  PE: 0x04,
  /** Framing error. */
  FE: 0x08,
  /** Break interrupt. */
  BI: 0x10,
  /** Transmitter holding register (or TX FIFO) empty. */
  THRE: 0x20,
  /** Transmitter empty: holding register and shift register both empty. */
  TEMT: 0x40,
  /** Error in receiver FIFO. */
  FIFO_ERROR: 0x80,
} as const;

/** MSR bits. */
export const UART_MSR = {
  /** Delta clear to send. */
  DCTS: 0x01,
  /** Delta data set ready. */
  DDSR: 0x02,
  /** Trailing edge ring indicator. */
  TERI: 0x04,
  /** Delta data carrier detect. */
  DDCD: 0x08,
  /** Clear to send. */
  CTS: 0x10,
  /** Data set ready. */
  DSR: 0x20,
  /** Ring indicator. */
  RI: 0x40,
  /** Data carrier detect. */
  DCD: 0x80,
} as const;

/** Standard 16550 input clock (1.8432 MHz: divisor 1 gives 115200 baud). */
export const UART_DEFAULT_INPUT_CLOCK = 1_843_200;

/** FIFO depth of the 16550A. */
export const UART_FIFO_SIZE = 16;
