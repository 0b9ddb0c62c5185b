<?php
// Template engine: compiled templates are PHP files under the cache directory.
class View {
    public function render($tpl, array $data) {
        $compiled = $this->cacheDir . '/' . md5($tpl) . '.php';
        if (!is_file($compiled) || filemtime($compiled) < filemtime($this->dir . '/' . $tpl)) {
            file_put_contents($compiled, $this->compile(file_get_contents($this->dir . '/' . $tpl)));
        }
        extract($data, EXTR_SKIP);
        ob_start();
        include $compiled;
        return ob_get_clean();
    }
}
