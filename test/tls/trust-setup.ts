// Setup of the `tls` test project: the process trusts the shared test CA, as a tester's setup
// would, so node:https's global agent and fetch reach TLS test servers with no `ca` option.
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { testCertificate } from '../../src/tls/certificate.js'

setDefaultCACertificates([...getCACertificates('default'), testCertificate().ca])
