// Setup of the `tls` test project: the process trusts the shared test CA, as a tester's setup
// would, so node:https's global agent and fetch reach TLS test servers with no `ca` option.
import { trustTestServers } from '../../src/index.js'

trustTestServers()
