/* Staff counter page: confirm before cancelling an order. */
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var question = event.target.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
