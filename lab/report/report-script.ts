// The report's only script, inlined: checkboxes that hide kinds of rows and a text filter. The report
// reads the same without it.
export const REPORT_JS = `
(function () {
  var body = document.body;
  document.querySelectorAll('input[data-hide]').forEach(function (box) {
    box.addEventListener('change', function () {
      body.classList.toggle('hide-' + box.getAttribute('data-hide'), !box.checked);
    });
  });
  var filter = document.getElementById('filter');
  if (!filter) return;
  filter.addEventListener('input', function () {
    var wanted = filter.value.toLowerCase();
    document.querySelectorAll('tr.row').forEach(function (row) {
      row.classList.toggle('nomatch', wanted !== '' && row.textContent.toLowerCase().indexOf(wanted) < 0);
    });
  });
})();
`;
