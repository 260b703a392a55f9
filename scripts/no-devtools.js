// Stands in for react-devtools-core in the UI bundle; Ink only uses it when DEV=true.
export default { initialize() {}, connectToDevTools() {} };
