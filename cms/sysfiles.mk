# cms/sysfiles.mk -- the system disk's files (cms/sysfiles.h): the help
# files cms/help/NAME.txt and the samples cms/sysdisk/FN.FT become the
# C table cms_sysfiles[] (cms/sysfiles.awk), which cms/sysdisk.c writes
# on a new system disk and CP's HELP reads for a CMS command.
CMS_SYSFILES := $(sort $(wildcard cms/help/*.txt cms/sysdisk/*))

# The list of those files, rewritten only when it changes, so that a file
# removed (or brought back with an old date) regenerates the table too.
CMS_SYSFILES_LIST := $(BUILD)/cms/sysfiles.list
$(shell mkdir -p $(BUILD)/cms && echo '$(CMS_SYSFILES)' | cmp -s - $(CMS_SYSFILES_LIST) || \
	echo '$(CMS_SYSFILES)' > $(CMS_SYSFILES_LIST))

$(BUILD)/cms/cms_sysfiles.c: $(CMS_SYSFILES) $(CMS_SYSFILES_LIST) $(wildcard cms/*.s) \
		cms/sysfiles.awk cms/sysfiles.mk
	@mkdir -p $(dir $@)
	awk -f cms/sysfiles.awk $(CMS_SYSFILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/cms/cms_sysfiles.o: $(BUILD)/cms/cms_sysfiles.c cms/sysfiles.h
	$(CC) $(CFLAGS) -c -o $@ $<

EXTRA_OBJS += $(BUILD)/cms/cms_sysfiles.o
