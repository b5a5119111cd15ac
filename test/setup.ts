// Registers the matchers (and, for tsc, their types) the way a user's setup file would.
import '../src/vitest.js'
