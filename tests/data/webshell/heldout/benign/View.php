<?php
/**
 * Minimal view engine. Templates live in APP_ROOT/views and are compiled to
 * plain PHP once; the compiled file is included (or eval'd when the cache
 * directory is read-only). Only files under views/ are ever compiled.
 */
class View
{
    private $viewDir;
    private $cacheDir;

    public function __construct($viewDir, $cacheDir)
    {
        $this->viewDir = rtrim($viewDir, '/');
        $this->cacheDir = rtrim($cacheDir, '/');
    }

    public function render($name, array $vars = array())
    {
        if (!preg_match('/^[a-z][a-z0-9_]*$/', $name)) {
            throw new InvalidArgumentException('bad view name');
        }
        $src = $this->viewDir . '/' . $name . '.tpl';
        $compiled = $this->compile(file_get_contents($src));
        extract($vars, EXTR_SKIP);
        $cacheFile = $this->cacheDir . '/' . md5($src . filemtime($src)) . '.php';
        if (is_writable($this->cacheDir)) {
            if (!is_file($cacheFile)) {
                file_put_contents($cacheFile, $compiled, LOCK_EX);
            }
            include $cacheFile;
        } else {
            eval('?>' . $compiled);
        }
    }

    private function compile($tpl)
    {
        $tpl = preg_replace('/\{\{\s*\$([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/', '<?php echo htmlspecialchars($$1, ENT_QUOTES, \'UTF-8\'); ?>', $tpl);
        $tpl = preg_replace('/\{%\s*foreach\s+\$([a-zA-Z_]\w*)\s+as\s+\$([a-zA-Z_]\w*)\s*%\}/', '<?php foreach ($$1 as $$2): ?>', $tpl);
        $tpl = preg_replace('/\{%\s*endforeach\s*%\}/', '<?php endforeach; ?>', $tpl);
        return $tpl;
    }
}
