# runtime.mk — placeholder until the runtime lands.
$(OUT)/bin/cella-runtime:
	@mkdir -p $(dir $@)
	touch $@
