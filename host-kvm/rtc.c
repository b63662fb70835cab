/*
 * host-kvm/rtc.c -- the PC's real-time clock and CMOS RAM (MC146818).
 *
 * Two ports: write a register number to 0x70, then read or write it at
 * 0x71.  Registers 0-9 hold the time of day, 0x0A-0x0D are status and
 * control, the rest is 114 bytes of battery-backed RAM.  Linux reads the
 * wall-clock time here once at boot, after waiting for the "update in
 * progress" bit (register A, bit 7) to clear -- a port nobody answers
 * reads as all ones, UIP stays set forever, and boot stalls.  So even a
 * monitor this small needs a clock.  The time is the host's, in UTC.
 */
#include <string.h>
#include <time.h>

#include "host-kvm/kvm.h"

enum {
	RTC_SEC = 0x00, RTC_MIN = 0x02, RTC_HOUR = 0x04, RTC_WDAY = 0x06,
	RTC_MDAY = 0x07, RTC_MON = 0x08, RTC_YEAR = 0x09,
	RTC_REG_A = 0x0a, RTC_REG_B = 0x0b, RTC_REG_C = 0x0c, RTC_REG_D = 0x0d,
	RTC_CENTURY = 0x32,
};
#define REG_B_24H 0x02
#define REG_B_BINARY 0x04  /* DM: values in binary, not BCD */
#define REG_D_VRT 0x80     /* "the battery is fine" */

static uint8_t to_bcd(int v) { return (uint8_t)(((v / 10) << 4) | (v % 10)); }

/* Seconds since 1970 to a UTC calendar date, by hand: gmtime_r would
 * open /etc/localtime on first use, which seccomp forbids here.
 * (The era arithmetic is Howard Hinnant's civil_from_days.) */
static void utc_from_epoch(int64_t t, struct tm *tm)
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)((days % 7 + 11) % 7);  /* 1970-01-01: Thursday */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	tm->tm_mday = (int)d;
	tm->tm_mon = (int)m - 1;
	tm->tm_year = (int)y - 1900;
}

static uint8_t rtc_time_reg(struct kvm_rtc *r, uint8_t reg)
{
	struct timespec ts;
	struct tm tm;
	int v;
	clock_gettime(CLOCK_REALTIME, &ts);
	utc_from_epoch(ts.tv_sec, &tm);
	switch (reg) {
	case RTC_SEC: v = tm.tm_sec; break;
	case RTC_MIN: v = tm.tm_min; break;
	case RTC_HOUR: v = tm.tm_hour; break;
	case RTC_WDAY: v = tm.tm_wday + 1; break;
	case RTC_MDAY: v = tm.tm_mday; break;
	case RTC_MON: v = tm.tm_mon + 1; break;
	case RTC_YEAR: v = tm.tm_year % 100; break;
	default: v = (tm.tm_year + 1900) / 100; break;  /* century */
	}
	return (r->ram[RTC_REG_B] & REG_B_BINARY) ? (uint8_t)v : to_bcd(v);
}

static uint32_t rtc_read(void *opaque, uint16_t off, int size)
{
	struct kvm_rtc *r = opaque;
	(void)size;
	if (off == 0)
		return r->index;
	switch (r->index) {
	case RTC_SEC: case RTC_MIN: case RTC_HOUR: case RTC_WDAY:
	case RTC_MDAY: case RTC_MON: case RTC_YEAR: case RTC_CENTURY:
		return rtc_time_reg(r, r->index);
	case RTC_REG_A:
		return r->ram[RTC_REG_A] & 0x7f;  /* never "update in progress" */
	case RTC_REG_C:
		return 0;  /* no interrupt flags: we raise no RTC interrupts */
	case RTC_REG_D:
		return REG_D_VRT;
	default:
		return r->ram[r->index];
	}
}

static void rtc_write(void *opaque, uint16_t off, int size, uint32_t val)
{
	struct kvm_rtc *r = opaque;
	(void)size;
	if (off == 0) {
		r->index = val & 0x7f;  /* bit 7 masks NMIs on a PC: ignored */
		return;
	}
	/* Setting the clock is ignored: the time stays the host's. */
	if (r->index > RTC_YEAR && r->index != RTC_REG_C && r->index != RTC_REG_D)
		r->ram[r->index] = (uint8_t)val;
}

void kvm_rtc_init(struct kvm_rtc *r)
{
	memset(r, 0, sizeof *r);
	r->ram[RTC_REG_A] = 0x26;  /* 32.768 kHz time base, 1024 Hz rate */
	r->ram[RTC_REG_B] = REG_B_24H;
}

struct kvm_iodev kvm_rtc_iodev(struct kvm_rtc *r)
{
	struct kvm_iodev d = {
		.name = "rtc", .base = 0x70, .len = 2, .opaque = r,
		.read = rtc_read, .write = rtc_write,
	};
	return d;
}
