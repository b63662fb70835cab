# cms/cms.mk -- the CMS nucleus inside vmlab.
#
# cms/cms.s (with the files it INCLUDEs, e.g. the macro library
# cms/cmsmac.s) becomes one C string, cms_source(), that cp/systems.c
# offers as the named system CMS: IPL CMS assembles it then, like the
# other named systems.
CMS_ASM := $(wildcard cms/*.s)

$(BUILD)/cms/cms_src.c: $(CMS_ASM) cms/cmssrc.awk cms/cms.mk
	@mkdir -p $(dir $@)
	awk -f cms/cmssrc.awk cms/cms.s > $@.tmp && mv $@.tmp $@

$(BUILD)/cms/cms_src.o: $(BUILD)/cms/cms_src.c
	$(CC) $(CFLAGS) -c -o $@ $<

EXTRA_OBJS += $(BUILD)/cms/cms_src.o
