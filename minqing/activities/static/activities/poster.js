// The poster's print button (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-poster");
  if (button) button.addEventListener("click", () => window.print());
});
