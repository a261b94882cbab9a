# airlock: `make run` builds and starts the appliance; `make test` runs the test suite.
.PHONY: install build exe run test typecheck bench clean

STAMP := node_modules/.airlock-installed

install: $(STAMP)

# npm ci compiles better-sqlite3 from source (no prebuilt download offline): a few minutes, once.
$(STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(STAMP)

build: install
	node bundle/build-js.mjs

exe: install
	node bundle/build-exe.mjs

run: exe
	./dist/airlock serve

typecheck: install
	npx tsc --noEmit

test: install
	npx vitest run

clean:
	rm -rf dist
