// Mocha's spec reporter, closing with a "N passed, N failed" line that CI logs can be read by.
const { Spec } = require("mocha").reporters;

class SpecWithTotals extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once("end", () => {
      const { passes, failures, pending } = runner.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : "";
      console.log(`tests: ${passes} passed, ${failures} failed${skipped}`);
    });
  }
}

module.exports = SpecWithTotals;
