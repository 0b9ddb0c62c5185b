<?php
// Compiles templates to PHP once and includes the cached file.
function render_template($name, array $vars) {
    $cache = __DIR__ . '/cache/' . basename($name) . '.php';
    if (!is_file($cache)) {
        $src = file_get_contents(__DIR__ . '/templates/' . basename($name) . '.tpl');
        $php = preg_replace('/\{\{\s*(\w+)\s*\}\}/', '<?php echo htmlspecialchars($$1); ?>', $src);
        file_put_contents($cache, $php);
    }
    extract($vars, EXTR_SKIP);
    include $cache;
}
