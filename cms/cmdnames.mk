# cms/cmdnames.mk -- the names of CMS's commands, for the console's Tab
# completion, generated from CMDTAB in the CMS source (cms/cmdnames.h,
# cms/cmdnames.awk): whatever lines CMDTAB holds, in whichever INCLUDEd
# file, are what Tab offers at CMS's VM READ.
CMS_NAMES_SRC := $(wildcard cms/*.s cms/*/*.s)

$(BUILD)/cms/cms_cmdnames.c: $(CMS_NAMES_SRC) cms/cmdnames.awk cms/cmdnames.mk
	@mkdir -p $(dir $@)
	awk -f cms/cmdnames.awk cms/cms.s > $@.tmp && mv $@.tmp $@

$(BUILD)/cms/cms_cmdnames.o: $(BUILD)/cms/cms_cmdnames.c cms/cmdnames.h
	$(CC) $(CFLAGS) -c -o $@ $<

EXTRA_OBJS += $(BUILD)/cms/cms_cmdnames.o
