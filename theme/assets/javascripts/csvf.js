/* csvf's own small behaviours, written for this site (no outside code).
   Runs on every page Material mounts; works from a server and from file://. */
document$.subscribe(function () {
  /* Material wraps Markdown tables in a scrolling box: make it reachable by keyboard. */
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
    if (box.closest(".csvf-table")) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Table");
  });
});
