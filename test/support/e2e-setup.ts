// Loaded by .mocharc.e2e.json before the e2e suite. The local cloud emulates the nodejs22.x
// runtime on this Node 20 machine; the SDK's "upgrade Node" notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
