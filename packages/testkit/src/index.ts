export { type TestTlsMaterial, testTls, trustTestCa } from './tls/test-tls.ts';
