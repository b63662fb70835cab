/*
 * host-kvm/serial.c -- an 8250/16550A UART on COM1 (ports 0x3f8-0x3ff).
 *
 * Eight registers, some sharing an offset (which one you get depends on
 * the direction, and on the "divisor latch" bit DLAB in LCR):
 *
 *   off  read                 write
 *   0    RBR receive buffer   THR transmit holding   (DLAB=1: DLL)
 *   1    IER interrupt enable IER                    (DLAB=1: DLM)
 *   2    IIR interrupt ident  FCR FIFO control
 *   3    LCR line control     LCR
 *   4    MCR modem control    MCR
 *   5    LSR line status      -
 *   6    MSR modem status     -
 *   7    SCR scratch          SCR
 *
 * Transmission is instant: a byte written to THR is on the host console
 * at once, so LSR always says "transmitter empty".  What makes Linux's
 * console and shell work both ways is the interrupt: IIR names the most
 * urgent pending cause (received data before "transmitter empty"), and
 * the level of IRQ 4 follows "some enabled cause is pending".
 *
 * Two threads touch the UART: the vCPU thread (guest port accesses) and
 * the input thread (host keystrokes), hence the lock.
 */
#include <string.h>
#include <time.h>

#include "host-kvm/kvm.h"

enum {
	UART_RX = 0, UART_TX = 0, UART_DLL = 0,
	UART_IER = 1, UART_DLM = 1,
	UART_IIR = 2, UART_FCR = 2,
	UART_LCR = 3, UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define IER_RDI 0x01   /* interrupt when data received */
#define IER_THRI 0x02  /* interrupt when THR empty */
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0  /* "16550A with working FIFOs" */
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define LCR_DLAB 0x80
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

void kvm_uart_init(struct kvm_uart *u, void (*emit)(void *, int),
		   void (*set_irq)(void *, int), void *ctx)
{
	memset(u, 0, sizeof *u);
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->room, NULL);
	u->lcr = 0x03;  /* 8 data bits, as firmware would leave it */
	u->emit = emit;
	u->set_irq = set_irq;
	u->ctx = ctx;
}

void kvm_uart_destroy(struct kvm_uart *u)
{
	pthread_cond_destroy(&u->room);
	pthread_mutex_destroy(&u->lock);
}

/* The highest-priority enabled cause, as IIR reports it. */
static uint8_t uart_iir(const struct kvm_uart *u)
{
	uint8_t iir = IIR_NONE;
	if ((u->ier & IER_RDI) && u->rx_count)
		iir = IIR_RDI;
	else if ((u->ier & IER_THRI) && u->thre_pending)
		iir = IIR_THRI;
	return iir | ((u->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
}

/* Drive IRQ 4 to "a cause is pending".  Only changes go to KVM: the
 * in-kernel PIC sees a rising edge when a new cause appears after the
 * guest has serviced the last one. */
static void uart_update_irq(struct kvm_uart *u)
{
	int level = !(uart_iir(u) & IIR_NONE);
	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->set_irq)
			u->set_irq(u->ctx, level);
	}
}

static void rx_push(struct kvm_uart *u, uint8_t b)
{
	if (u->rx_count == KVM_UART_FIFO)
		return;  /* overrun: a real UART drops the byte too */
	u->rx[(u->rx_head + u->rx_count) % KVM_UART_FIFO] = b;
	u->rx_count++;
}

static uint8_t rx_pop(struct kvm_uart *u)
{
	if (!u->rx_count)
		return 0;
	uint8_t b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % KVM_UART_FIFO;
	u->rx_count--;
	u->rx_bytes++;
	pthread_cond_signal(&u->room);  /* the input thread may go on */
	return b;
}

static uint8_t uart_msr(const struct kvm_uart *u)
{
	if (u->mcr & MCR_LOOP) {
		/* Loopback: the modem outputs come back as inputs.  Drivers
		 * use this to check that a UART is really there. */
		uint8_t m = 0;
		if (u->mcr & MCR_RTS) m |= MSR_CTS;
		if (u->mcr & MCR_DTR) m |= MSR_DSR;
		if (u->mcr & MCR_OUT1) m |= MSR_RI;
		if (u->mcr & MCR_OUT2) m |= MSR_DCD;
		return m;
	}
	return MSR_DCD | MSR_DSR | MSR_CTS;  /* a cable and a terminal */
}

static uint32_t uart_read(void *opaque, uint16_t off, int size)
{
	struct kvm_uart *u = opaque;
	uint8_t v = 0;
	(void)size;  /* a wider access reads the first register only */
	pthread_mutex_lock(&u->lock);
	switch (off) {
	case UART_RX:
		v = (u->lcr & LCR_DLAB) ? u->dll : rx_pop(u);
		break;
	case UART_IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case UART_IIR:
		v = uart_iir(u);
		/* Reading IIR acknowledges "transmitter empty". */
		if ((v & 0x0f) == IIR_THRI)
			u->thre_pending = 0;
		break;
	case UART_LCR: v = u->lcr; break;
	case UART_MCR: v = u->mcr; break;
	case UART_LSR:
		v = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
		break;
	case UART_MSR: v = uart_msr(u); break;
	case UART_SCR: v = u->scr; break;
	}
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return v;
}

static void uart_write(void *opaque, uint16_t off, int size, uint32_t val)
{
	struct kvm_uart *u = opaque;
	uint8_t v = (uint8_t)val;
	(void)size;
	pthread_mutex_lock(&u->lock);
	switch (off) {
	case UART_TX:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else if (u->mcr & MCR_LOOP) {
			rx_push(u, v);
			u->thre_pending = 1;
		} else {
			u->emit(u->ctx, v);
			u->tx_bytes++;
			u->thre_pending = 1;  /* sent already: THR is empty */
		}
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/* Enabling the THR interrupt while THR is empty raises it at
		 * once: that is how the driver starts an interrupt-driven
		 * transmission.  Disabling it marks the end of a burst: a
		 * good moment to flush what the host has buffered. */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thre_pending = 1;
		if (!(v & IER_THRI) && (u->ier & IER_THRI))
			u->emit(u->ctx, -1);
		/* Input is held back until the driver really opened the
		 * port: receive interrupts on with OUT2 (the PC's IRQ gate)
		 * set.  Probing writes IER too, but without OUT2. */
		if ((v & IER_RDI) && (u->mcr & MCR_OUT2) && !u->rx_enabled_once) {
			u->rx_enabled_once = 1;
			pthread_cond_signal(&u->room);
		}
		u->ier = v & 0x0f;
		break;
	case UART_FCR:
		/* Keep bytes the host has queued across a "clear receive
		 * FIFO": they are keystrokes typed ahead of the driver. */
		u->fcr = v & ~(FCR_CLEAR_RX | 0x04);
		break;
	case UART_LCR: u->lcr = v; break;
	case UART_MCR: u->mcr = v & 0x1f; break;
	case UART_SCR: u->scr = v; break;
	default: break;  /* LSR and MSR are read-only */
	}
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

struct kvm_iodev kvm_uart_iodev(struct kvm_uart *u)
{
	struct kvm_iodev d = {
		.name = "com1", .base = KVM_COM1_BASE, .len = 8, .opaque = u,
		.read = uart_read, .write = uart_write,
	};
	return d;
}

/*
 * Host input is held back until the guest's driver has once enabled the
 * receive interrupt with OUT2 set.  Before that nobody would read it:
 * the early console only writes, a probe only tests IER, and the
 * driver's start-up code drains the receiver.
 */
int kvm_uart_accepts_input(struct kvm_uart *u)
{
	pthread_mutex_lock(&u->lock);
	int ok = u->rx_enabled_once && u->rx_count < KVM_UART_FIFO;
	pthread_mutex_unlock(&u->lock);
	return ok;
}

/*
 * The input thread sleeps here rather than polling: a thread that wakes
 * every few milliseconds steals time from the vCPU thread, and a guest
 * calibrating its timers against the clock notices.
 */
int kvm_uart_wait_input(struct kvm_uart *u, int ms)
{
	struct timespec t;
	if (ms < 0) {
		/* Until the guest opens the port, or someone calls
		 * kvm_uart_wake: no timer, no wake-ups at all. */
		pthread_mutex_lock(&u->lock);
		while (!u->rx_enabled_once && !u->woken)
			pthread_cond_wait(&u->room, &u->lock);
		int ok = u->rx_enabled_once;
		pthread_mutex_unlock(&u->lock);
		return ok;
	}
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&u->lock);
	while (!(u->rx_enabled_once && u->rx_count < KVM_UART_FIFO))
		if (pthread_cond_timedwait(&u->room, &u->lock, &t))
			break;  /* timed out */
	int ok = u->rx_enabled_once && u->rx_count < KVM_UART_FIFO;
	pthread_mutex_unlock(&u->lock);
	return ok;
}

void kvm_uart_wake(struct kvm_uart *u)
{
	pthread_mutex_lock(&u->lock);
	u->woken = 1;
	pthread_cond_broadcast(&u->room);
	pthread_mutex_unlock(&u->lock);
}

int kvm_uart_feed(struct kvm_uart *u, const uint8_t *buf, int len)
{
	int n = 0;
	pthread_mutex_lock(&u->lock);
	while (n < len && u->rx_count < KVM_UART_FIFO)
		rx_push(u, buf[n++]);
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}
